"""Database Integration in Django: the course's shared Django project."""
