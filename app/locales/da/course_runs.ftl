# Kursusforløb (issue 7): deres opslag i kataloget, kopiering af et forløb, grupper i et forløb (S7, S12, T2).
runs.reviews = Anmeldelser og kommentarer
runs.reviews_named = Anmeldelser og kommentarer: {title}
