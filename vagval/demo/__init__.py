"""Synthetic demo data: the organisations of the source documents, demo users and young people.

Nothing here is real: names come from Faker, identity numbers are made up (valid check
digits), phone numbers are from the series reserved for fiction and e-mail addresses use
example.com. Demo data is refused in production mode (see vagval.cli).
"""
