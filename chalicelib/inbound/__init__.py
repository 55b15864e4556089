"""Inbound e-mail (issue 17): complainants' replies, translated at the edge into the
conversation's reply command (service/inbound_mail.py)."""
