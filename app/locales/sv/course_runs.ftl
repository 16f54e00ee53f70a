# Kursomgångar (issue 7): deras annonser i katalogen, kopiering av en omgång, grupper i en omgång (S7, S12, T2).
runs.reviews = Recensioner och kommentarer
runs.reviews_named = Recensioner och kommentarer: {title}
