"""Privacy (GDPR) and accessibility: the privacy notice, "Mina uppgifter" (own data and its
download), consents, account deletion, retention (`flask purge`) and the accessibility
statement."""
