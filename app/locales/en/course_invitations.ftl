# Invitations to a course run (S4): the invited person's page and the mail.
course_invitation.title = Invitation to a course
course_invitation.page_title = Invitation: {course}
course_invitation.lead = The course staff invite you to take part in this course.
course_invitation.run = Run
course_invitation.organisation = Organisation
course_invitation.accept_note = If you accept, you are enrolled in the run at once, and the course staff see your name and your progress, as for every learner.
course_invitation.accept = Accept and enrol
course_invitation.decline_note = If you decline, you are not enrolled. The course staff see that the invitation to the address they entered was declined; they are not shown your name.
course_invitation.decline = Decline
course_invitation.invalid = This invitation cannot be used. It may have expired, been answered or withdrawn, or have been sent to another account: sign in with the account whose e-mail address received it. While enrolment is open, you can also enrol on the course's page.
courses.status.invitation_declined = You declined the invitation. You are not enrolled.
mail.run_invite.subject = Invitation to {course} on Agora
mail.run_invite.body = Hello {name},\n\n{inviter} invites you to take part in {course} ({run}) on Agora.\n\nOpen this link within {days} days, signed in with this account, to accept or decline:\n\n{link}\n\nYou are enrolled only if you accept. The link works once. If you do not want to take part, decline or ignore this message.
