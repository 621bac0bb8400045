from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "wealthdesk.voice"
    label = "voice"
