"""`ungehus serve`: the app in a browser (textual-serve), one app process per browser tab."""
