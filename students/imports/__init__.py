"""Importing a school's students from its national export: the import job and its pages
(services, views), reading the file into rows (reading, with the parsers of the SIECLE XML/ZIP
and the agricultural CSV), and writing the rows (writing)."""
