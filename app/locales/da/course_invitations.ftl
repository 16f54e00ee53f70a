# Invitationer til et kursusforløb (S4): den inviteredes side og mailen.
course_invitation.title = Invitation til et kursus
course_invitation.page_title = Invitation: {course}
course_invitation.lead = Kursusholdet inviterer dig til at deltage i dette kursus.
course_invitation.run = Forløb
course_invitation.organisation = Organisation
course_invitation.accept_note = Siger du ja, bliver du tilmeldt forløbet med det samme, og kursusholdet kan se dit navn og dine fremskridt, som for alle deltagere.
course_invitation.accept = Sig ja og tilmeld mig
course_invitation.decline_note = Siger du nej, bliver du ikke tilmeldt. Kursusholdet kan se, at invitationen til den adresse, de skrev, blev afvist; de får ikke dit navn at se.
course_invitation.decline = Sig nej tak
course_invitation.invalid = Denne invitation kan ikke bruges. Den kan være udløbet, allerede besvaret eller trukket tilbage, eller sendt til en anden konto: log ind med den konto, hvis e-mailadresse fik den. Så længe tilmeldingen er åben, kan du også tilmelde dig på kursets side.
courses.status.invitation_declined = Du har sagt nej tak til invitationen. Du er ikke tilmeldt.
mail.run_invite.subject = Invitation til {course} på Agora
mail.run_invite.body = Hej {name}\n\n{inviter} inviterer dig til at deltage i {course} ({run}) på Agora.\n\nÅbn dette link inden for {days} dage, logget ind med denne konto, for at sige ja eller nej tak:\n\n{link}\n\nDu bliver kun tilmeldt, hvis du siger ja. Linket kan kun bruges én gang. Hvis du ikke ønsker at deltage, kan du sige nej tak eller se bort fra denne besked.
