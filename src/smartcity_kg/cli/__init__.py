"""The `smartcity-kg` command: one module per verb, each a thin shell over one core function."""
