"""Who may exchange the annual file with the city union (domain/permissions.py names them)."""
IMPORT = "exchange.import"  # check and import counties' files (city mode)
EXPORT = "exchange.export"  # write the county's file for the city
