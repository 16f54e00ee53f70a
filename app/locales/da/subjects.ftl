# T12: subject tags platform admins add.
subjects.title = Fag
subjects.lead = Kurser, katalogopslag og profiler mærkes med disse fag. Tilføj et fag med dets navn på alle de sprog, Agora taler; koden dannes af det engelske navn og ændres aldrig, så alt, der er mærket med faget, beholder det ved omdøbning.
subjects.add = Tilføj et fag
subjects.added_heading = Fag tilføjet af administratorer
subjects.none_added = Der er endnu ikke tilføjet nogen fag.
subjects.built_in = Indbyggede fag
subjects.name_en = Navn på engelsk
subjects.name_da = Navn på dansk
subjects.name_sv = Navn på svensk
subjects.save = Gem navnene
subjects.rename_named = Navne på “{name}”
subjects.added = Faget blev tilføjet.
subjects.renamed = Navnene blev gemt.
subjects.taken = Der findes allerede et fag med dette engelske navn.
subjects.name_too_long = Brug højst 80 tegn.
subjects.name_needs_letters = Det engelske navn skal indeholde bogstaver eller tal.
