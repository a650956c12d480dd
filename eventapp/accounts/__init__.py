"""Account administration: admins list and search accounts, give and take away roles
(juror, panel member, organiser, administrator) and disable accounts."""
