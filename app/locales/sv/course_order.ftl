# Reordering course content: dragging and moving items between modules (issue 7).
courses.move_to = Flytta
courses.move_to_named = Flytta {title} till en annan modul
courses.move_to_module = Modul för {title}
courses.drag_hint = Dra moduler och lektioner för att ändra ordningen, eller använd knapparna och modullistorna, som fungerar med tangentbordet.
