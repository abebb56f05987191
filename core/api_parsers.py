"""The API's JSON parser: a body nested so deep that Python's parser recurses out is a 400."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            message = "JSON invalide : structure imbriquée trop profonde."
            raise exceptions.ParseError(message) from error
