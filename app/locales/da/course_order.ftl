# Reordering course content: dragging and moving items between modules (issue 7).
courses.move_to = Flyt
courses.move_to_named = Flyt {title} til et andet modul
courses.move_to_module = Modul til {title}
courses.drag_hint = Træk moduler og lektioner for at ændre rækkefølgen, eller brug knapperne og modullisterne, som virker med tastaturet.
