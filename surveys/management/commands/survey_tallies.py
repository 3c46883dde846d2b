"""Check or rebuild the surveys' tallies from their answers.

manage.py survey_tallies --check          # exit 1 if any survey's tallies disagree
manage.py survey_tallies --rebuild [ID…]  # recompute them (all surveys, or those ids)
"""

from django.core.management.base import BaseCommand, CommandError

from surveys import tallies
from surveys.models import Survey


class Command(BaseCommand):
    help = "Check (--check) or rebuild (--rebuild) survey tallies from the answers."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="survey ids (default: all)")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true")
        group.add_argument("--rebuild", action="store_true")

    def handle(self, *args, ids, check, rebuild, **options):
        surveys = Survey.objects.filter(is_offline_record=False).order_by("pk")
        if ids:
            surveys = surveys.filter(pk__in=ids)
        wrong = 0
        for survey in surveys:
            if rebuild:
                count = tallies.rebuild(survey)
                self.stdout.write(f"survey {survey.pk}: {count} tallies rebuilt")
                continue
            differences = tallies.differences(survey)
            if differences:
                wrong += 1
                self.stdout.write(f"survey {survey.pk}: {len(differences)} tallies disagree")
                for key, have, want in differences[:20]:
                    self.stdout.write(f"  {key}: stored {have}, answers give {want}")
            else:
                self.stdout.write(f"survey {survey.pk}: tallies agree")
        if wrong:
            raise CommandError(f"{wrong} survey(s) with tallies that disagree with the answers")
