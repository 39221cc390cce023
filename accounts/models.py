from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Staff and promoter accounts; most people Suksa counts have none (Person)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
