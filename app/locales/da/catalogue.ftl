# Kataloget (S7, S16, S18): kurser, mobilitetsmuligheder, partnerskabstilbud.
catalogue.error.date = Skriv en dato som ÅÅÅÅ-MM-DD.
catalogue.error.ends_before_start = Slutdatoen kan ikke ligge før startdatoen.
catalogue.error.past = Denne dato er allerede passeret.
catalogue.error.expires_after_end = Opslaget kan ikke vises efter slutdatoen.
catalogue.error.too_many_subjects = Vælg højst 10 fag.
catalogue.error.places = Skriv et helt antal pladser fra 1 til 10000.
catalogue.error.external_id_taken = Et andet opslag fra jeres organisation har denne reference.
