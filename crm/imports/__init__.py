"""Loading a shop's history from CSV files through the order events' rules.

README "Importing history": `shopdesk import orders|shipments|events FILE`.
"""
