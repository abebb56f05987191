from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from certification.student_list_html import certifiability_html
from students.models import Student

register = template.Library()


@register.simple_tag
def certifiability_badge(student: Student) -> SafeString:
    """The badge of the Élèves page, in the time zone of the page (the school's)."""
    return certifiability_html(student, timezone.get_current_timezone())
