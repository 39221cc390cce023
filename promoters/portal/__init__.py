"""The promoter portal: a light, phone-first front end for promoters (issue 6, item 4).

Promoters sign in with their username or phone number, read their materials, record
village meetings (queued on the phone while offline by ``static/js/meeting-queue.js``),
and see their meetings and certificates.
"""
