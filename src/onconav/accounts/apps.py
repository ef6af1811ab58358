from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onconav.accounts"
    label = "accounts"
    verbose_name = "Accounts"
