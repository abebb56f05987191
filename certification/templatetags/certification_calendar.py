from django import template

from certification.calendar import calendar_banner

register = template.Library()


@register.inclusion_tag("certification/_calendar_banner.html", takes_context=True)
def certification_calendar_banner(context, organization):
    """The national window of the school and the days left, on the sessions pages."""
    return {
        "banner": calendar_banner(organization=organization),
        "organization": organization,
        "membership": context.get("membership"),
    }
