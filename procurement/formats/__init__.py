"""Date and time formats staff read in the admin (FORMAT_MODULE_PATH): local date-times to the second."""
