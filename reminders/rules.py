"""Who may read the outbox in the admin: the office and administrators."""

from accounts.rules import admin_rules, reads_every_department

admin_rules.add_rule("reminders.reminder.view", reads_every_department)
