"""Loading a shop's catalogue and history from CSV files.

README "Importing history": `shopdesk import products|orders|shipments|events
FILE`; the history goes through the order events' rules, the catalogue
through `crm.catalog.service`.
"""
