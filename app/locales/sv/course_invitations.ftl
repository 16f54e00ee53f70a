# Inbjudningar till en kursomgång (S4): den inbjudnas sida och mejlet.
course_invitation.title = Inbjudan till en kurs
course_invitation.page_title = Inbjudan: {course}
course_invitation.lead = Kursledningen bjuder in dig att delta i den här kursen.
course_invitation.run = Omgång
course_invitation.organisation = Organisation
course_invitation.accept_note = Tackar du ja anmäls du direkt till omgången, och kursledningen ser ditt namn och dina framsteg, som för alla deltagare.
course_invitation.accept = Tacka ja och anmäl mig
course_invitation.decline_note = Tackar du nej anmäls du inte. Kursledningen ser att inbjudan till adressen de skrev avböjdes; de får inte se ditt namn.
course_invitation.decline = Tacka nej
course_invitation.invalid = Den här inbjudan kan inte användas. Den kan ha gått ut, redan besvarats eller återkallats, eller ha skickats till ett annat konto: logga in med det konto vars e-postadress fick den. Så länge anmälan är öppen kan du också anmäla dig på kursens sida.
courses.status.invitation_declined = Du har tackat nej till inbjudan. Du är inte anmäld.
mail.run_invite.subject = Inbjudan till {course} på Agora
mail.run_invite.body = Hej {name}!\n\n{inviter} bjuder in dig att delta i {course} ({run}) på Agora.\n\nÖppna den här länken inom {days} dagar, inloggad med det här kontot, för att tacka ja eller nej:\n\n{link}\n\nDu anmäls bara om du tackar ja. Länken fungerar bara en gång. Om du inte vill delta kan du tacka nej eller bortse från det här meddelandet.
