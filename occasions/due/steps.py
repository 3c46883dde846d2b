"""How often and how early each reminder goes out, in one place."""

# Days before the filing deadline (by Shanghai calendar date) on which a department that has
# not filed is reminded; 0 is the day itself.
PLAN_DEADLINE_STEPS = (30, 14, 7, 3, 1, 0)
# A returned catalog not filed again is reminded once per this many days after the return.
PLAN_RETURNED_STEP_DAYS = 7
# Days before a comment period's last day (Shanghai date) on which its staff are reminded.
PERIOD_CLOSING_DAYS = 3
# After the feedback report's due date, an unpublished report is reminded this often.
FEEDBACK_OVERDUE_STEP_DAYS = 7
# Days before an activity's start (Shanghai date) on which the invitees are reminded.
ACTIVITY_STEPS = (3, 1)
# Days before the reply deadline (Shanghai date) on which a pending invitee is reminded.
INVITATION_REPLY_DAYS = 2
# A matter past its stage's planned end is reminded again this often.
STAGE_OVERDUE_STEP_DAYS = 7
# Working days before the sign-for window's last day on which the lead department is
# reminded to sign for or return an assigned item; 0 is the last day itself.
PROPOSAL_SIGN_FOR_STEPS = (2, 0)
# Days before the due date on which a lead department that has recorded no contact with the
# authors in the current round is reminded (contact comes before any reply).
PROPOSAL_CONTACT_DAYS = 30
# Days before the due date on which an item not yet replied in its round is reminded.
PROPOSAL_DUE_STEPS = (15, 7, 3)
# Days after the reply was sent on which a rating not given is followed up.
PROPOSAL_RATING_DAYS = 15
# Days before a survey closes (to the minute) on which panel members who have not
# answered are reminded.
SURVEY_CLOSING_STEPS = (3, 1)
# A survey that closed within this many days has its department told (once); older ones
# are not announced by the first scan after an upgrade.
SURVEY_CLOSED_HORIZON_DAYS = 7
# Days before the end of a letter of solicitation's deadline day on which main addressees
# who have not answered are reminded.
SOLICITATION_DEADLINE_STEPS = (3, 1)
# Days before the end of a supervision order's due day on which a department that has not
# reported is reminded; after the day, it is reminded this often until it reports.
OVERSIGHT_DUE_STEPS = (3, 1)
OVERSIGHT_OVERDUE_STEP_DAYS = 7
