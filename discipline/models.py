"""The models of every discipline subpackage, imported here so that Django registers them (it imports only
``discipline.models``). Code inside a subpackage imports its own ``models`` module, never this one."""

from discipline.accountability.models import PersonnelAction, RecordingFailure, RetaliationAlert, RetaliationComplaint
from discipline.campaigns.models import (
    Campaign,
    CampaignAnswer,
    CampaignArea,
    CampaignFinding,
    CampaignMechanism,
    CampaignQuestion,
    CampaignReopening,
    CampaignUnit,
    Rectification,
)
from discipline.faults.models import (
    CorrectionFollowUp,
    CorrectionTask,
    FaultCase,
    FaultParticipant,
    Petition,
    ToleranceApplication,
)
from discipline.reports.models import FigureBodyCell, FigureCell, ReportJob
from discipline.review.models import Handling, Instruction, NoticeLetter, Review, Routing, Sanction, SpecialReport

__all__ = [
    "Campaign",
    "CampaignAnswer",
    "CampaignArea",
    "CampaignFinding",
    "CampaignMechanism",
    "CampaignQuestion",
    "CampaignReopening",
    "CampaignUnit",
    "CorrectionFollowUp",
    "CorrectionTask",
    "FaultCase",
    "FaultParticipant",
    "FigureBodyCell",
    "FigureCell",
    "Handling",
    "Instruction",
    "NoticeLetter",
    "PersonnelAction",
    "Petition",
    "RecordingFailure",
    "Rectification",
    "ReportJob",
    "RetaliationAlert",
    "RetaliationComplaint",
    "Review",
    "Routing",
    "Sanction",
    "SpecialReport",
    "ToleranceApplication",
]
