# T12: subject tags platform admins add.
subjects.title = Ämnen
subjects.lead = Kurser, katalogposter och profiler märks med dessa ämnen. Lägg till ett ämne med dess namn på alla språk Agora talar; koden bildas av det engelska namnet och ändras aldrig, så allt som är märkt med ämnet behåller det när det byter namn.
subjects.add = Lägg till ett ämne
subjects.added_heading = Ämnen tillagda av administratörer
subjects.none_added = Inga ämnen har lagts till ännu.
subjects.built_in = Inbyggda ämnen
subjects.name_en = Namn på engelska
subjects.name_da = Namn på danska
subjects.name_sv = Namn på svenska
subjects.save = Spara namnen
subjects.rename_named = Namn på ”{name}”
subjects.added = Ämnet lades till.
subjects.renamed = Namnen sparades.
subjects.taken = Det finns redan ett ämne med detta engelska namn.
subjects.name_too_long = Använd högst 80 tecken.
subjects.name_needs_letters = Det engelska namnet måste innehålla bokstäver eller siffror.
