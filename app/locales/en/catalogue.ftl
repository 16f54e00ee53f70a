# The catalogue (S7, S16, S18): courses, mobility opportunities, partnership offers.
catalogue.error.date = Enter a date as YYYY-MM-DD.
catalogue.error.ends_before_start = The end cannot be before the start.
catalogue.error.past = This date has already passed.
catalogue.error.expires_after_end = The listing cannot be shown after the end date.
catalogue.error.too_many_subjects = Choose at most 10 subjects.
catalogue.error.places = Enter a whole number of places from 1 to 10000.
catalogue.error.external_id_taken = Another listing of your organisation has this reference.
