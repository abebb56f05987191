"""REST API: the certification test platform sends a finalised session's results.

`POST /api/sessions/<session_id>/results/` with every present candidate at once; the portal
scores them (results/scoring.py). A session of another school is 404; any problem is a 400
that names it, and nothing is written.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.referential import COMPETENCE_CODES, MAX_LEVEL
from core.api_errors import ApiErrorsSerializer
from sessions.models import Session

from . import services
from .scoring import Outcome, ProfileLevel
from .selectors import session_results


class ProfileCompetenceSerializer(serializers.Serializer):
    competence = serializers.ChoiceField(choices=COMPETENCE_CODES, help_text="Code, ex. « 1.1 »")
    level = serializers.IntegerField(
        min_value=0, max_value=MAX_LEVEL, help_text="Niveau au début du test"
    )
    pix = serializers.IntegerField(
        min_value=0, max_value=MAX_LEVEL * 8 + 7, help_text="Pix au début du test"
    )


class AnswerSerializer(serializers.Serializer):
    competence = serializers.ChoiceField(choices=COMPETENCE_CODES)
    challenge = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Identifiant de l'épreuve"
    )
    result = serializers.ChoiceField(
        choices=[o.value for o in Outcome],
        help_text="correct, wrong, neutralized, ou unanswered (test non terminé)",
    )


class CandidateResultSerializer(serializers.Serializer):
    candidate_id = serializers.IntegerField(help_text="Numéro du candidat dans la session")
    profile = ProfileCompetenceSerializer(
        many=True, help_text="Profil au début du test : compétences positionnées"
    )
    answers = AnswerSerializer(many=True, help_text="Questions posées, dans l'ordre")

    def validate_profile(self, value):
        codes = [item["competence"] for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError("Une compétence figure deux fois dans le profil.")
        return value


class SessionResultsSerializer(serializers.Serializer):
    candidates = CandidateResultSerializer(many=True, allow_empty=False)

    def entries(self) -> list[services.CandidateResultInput]:
        return [
            services.CandidateResultInput(
                candidate_id=item["candidate_id"],
                profile={
                    p["competence"]: ProfileLevel(level=p["level"], pix=p["pix"])
                    for p in item["profile"]
                },
                answers=tuple(
                    services.AnswerInput(
                        competence=a["competence"],
                        outcome=Outcome(a["result"]),
                        challenge=a.get("challenge", ""),
                    )
                    for a in item["answers"]
                ),
            )
            for item in self.validated_data["candidates"]
        ]


class ScoredResultSerializer(serializers.Serializer):
    candidate_id = serializers.IntegerField(source="candidate.pk")
    status = serializers.CharField()
    pix_score = serializers.IntegerField()
    levels = serializers.SerializerMethodField()

    def get_levels(self, result) -> dict[str, int]:
        return {mark.competence.code: mark.level for mark in result.marks.all()}


class SessionResultsView(APIView):
    @extend_schema(
        request=SessionResultsSerializer,
        responses={
            201: ScoredResultSerializer(many=True),
            400: OpenApiResponse(ApiErrorsSerializer, description="Résultats refusés"),
            404: OpenApiResponse(
                ApiErrorsSerializer, description="Session inconnue pour cet établissement"
            ),
        },
        summary="Envoyer les résultats d'une session finalisée",
        description="Toute la session en une fois : chaque candidat présent. Le portail calcule "
        "le score (taux global, niveaux plafonnés par le profil au début du test) ; les "
        "signalements E1 à E5 sur une question fausse ou sans réponse la neutralisent "
        "automatiquement, les autres attendent la décision du jury.",
    )
    def post(self, request, session_id):
        session = get_object_or_404(Session, pk=session_id, organization=request.auth.organization)
        serializer = SessionResultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.session_results_record(
                session=session, entries=serializer.entries(), source="api"
            )
        except services.ResultsRejected as rejected:
            return Response({"errors": rejected.errors}, status=status.HTTP_400_BAD_REQUEST)
        results = session_results(session=session)
        return Response(
            ScoredResultSerializer(results, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={200: ScoredResultSerializer(many=True)},
        summary="Lire les résultats calculés d'une session",
    )
    def get(self, request, session_id):
        session = get_object_or_404(Session, pk=session_id, organization=request.auth.organization)
        results = session_results(session=session)
        return Response(ScoredResultSerializer(results, many=True).data)
