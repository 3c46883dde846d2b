"""Forms of the survey pages: the staff's (``staff``)."""
