"""Every statement Rapport can produce is valid xAPI, as an outside Learning Record Store checks
it: Ralph's (`ralph-malph`) pydantic models of xAPI 1.0.3 statements."""

import uuid

import pytest
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

from cohorts.models import Enrollment
from events.actions import RESULT_TYPES, ObjectRef, record_event
from events.models import ObjectType, ResultKey, Verb
from events.xapi import statement_for
from rapport.testing import PersonaTestCase

BASE = "https://rapport.example.com"
SAMPLE_VALUES: dict[type, object] = {bool: True, int: 3, float: 12.5}


class XapiValidityTests(PersonaTestCase):
    def test_every_verb_object_type_and_result_key_makes_a_valid_statement(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        result = {key.value: SAMPLE_VALUES[RESULT_TYPES[key]] for key in ResultKey}
        for verb in Verb:
            for object_type in ObjectType:
                with self.subTest(verb=verb, object_type=object_type):
                    event = record_event(
                        self.alice,
                        verb=verb,
                        object_type=object_type,
                        object_id=uuid.uuid4(),
                        cohort=self.cohort_a,
                        registration=enrollment.public_id,
                        parent=ObjectRef(ObjectType.ACTIVITY, uuid.uuid4()),
                        grouping=ObjectRef(ObjectType.PROGRAM, self.program.public_id),
                        result=result,
                    )
                    BaseXapiStatement(**statement_for(event, base_url=BASE))

    def test_the_validator_catches_a_malformed_statement(self) -> None:
        event = record_event(
            self.alice,
            verb=Verb.VIEWED,
            object_type=ObjectType.ACTIVITY,
            object_id=uuid.uuid4(),
        )
        statement = statement_for(event, base_url=BASE)
        statement["verb"]["id"] = "viewed"  # not an IRI
        with pytest.raises(ValidationError):
            BaseXapiStatement(**statement)
