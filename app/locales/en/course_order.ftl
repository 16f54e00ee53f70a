# Reordering course content: dragging and moving items between modules (issue 7).
courses.move_to = Move
courses.move_to_named = Move {title} to another module
courses.move_to_module = Module for {title}
courses.drag_hint = Drag modules and lessons to reorder them, or use the buttons and the module lists, which work by keyboard.
