from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "wealthdesk.contacts"
    label = "contacts"
