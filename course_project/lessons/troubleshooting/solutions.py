"""Reference answers for notebook 13."""


def diagnosis(message):
    if "Connection refused" in message:
        return "server down or wrong port"
    if "password authentication failed" in message:  # the same for a role that does not exist
        return "wrong password or unknown user"
    if "pg_hba.conf rejects connection" in message:
        return "pg_hba.conf"
    if "too many connections" in message:
        return "connection limit"
    return "unknown"


def merge_command(app_label):
    return ["makemigrations", "--merge", "--no-input", app_label]
