# Arabic as written in Morocco: Django's Arabic formats group thousands with ".", which a
# Moroccan reader takes for a decimal point; here they are grouped with a (non-breaking) space.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
