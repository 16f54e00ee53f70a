# T12: subject tags platform admins add.
subjects.title = Subjects
subjects.lead = Courses, catalogue listings and profiles are tagged with these subjects. Add a subject with its name in every language Agora speaks; its code comes from the English name and never changes, so renaming keeps everything tagged with it.
subjects.add = Add a subject
subjects.added_heading = Subjects added by administrators
subjects.none_added = No subjects have been added yet.
subjects.built_in = Built-in subjects
subjects.name_en = Name in English
subjects.name_da = Name in Danish
subjects.name_sv = Name in Swedish
subjects.save = Save the names
subjects.rename_named = Names of “{name}”
subjects.added = The subject was added.
subjects.renamed = The names were saved.
subjects.taken = A subject with this English name exists already.
subjects.name_too_long = Use at most 80 characters.
subjects.name_needs_letters = The English name needs letters or digits.
