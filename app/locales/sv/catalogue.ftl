# Katalogen (S7, S16, S18): kurser, mobilitetsmöjligheter, partnerskapserbjudanden.
catalogue.error.date = Skriv ett datum som ÅÅÅÅ-MM-DD.
catalogue.error.ends_before_start = Slutdatumet kan inte ligga före startdatumet.
catalogue.error.past = Det här datumet har redan passerat.
catalogue.error.expires_after_end = Annonsen kan inte visas efter slutdatumet.
catalogue.error.too_many_subjects = Välj högst 10 ämnen.
catalogue.error.places = Skriv ett helt antal platser från 1 till 10000.
catalogue.error.external_id_taken = En annan annons från er organisation har den här referensen.
