"""Reference answers for notebook 13."""
diagnosis = {"Connection refused": "server down or wrong port",
             "password authentication failed": "wrong password",
             "pg_hba.conf rejects connection": "pg_hba.conf",
             "too many connections for role": "connection limit"}
merge_command = ["makemigrations", "--merge", "shop"]
