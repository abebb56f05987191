"""The forms of the sessions pages, one module per part of the job."""

from .candidates import CandidateForm, CandidateUpdateForm, EnrollStudentsForm
from .finalization import FinalizationForm
from .invigilator import AttendanceForm, InvigilatorLoginForm
from .issue_reports import IssueReportForm, SessionIssueReportForm, issue_report_form
from .session import SessionForm

__all__ = [
    "AttendanceForm",
    "CandidateForm",
    "CandidateUpdateForm",
    "EnrollStudentsForm",
    "FinalizationForm",
    "InvigilatorLoginForm",
    "IssueReportForm",
    "SessionForm",
    "SessionIssueReportForm",
    "issue_report_form",
]
