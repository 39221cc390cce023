"""Demo feedback: the June 2022 ToT's paper forms (20 of its 26 participants),
mostly positive, with a few comments in Lao."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from trainings.demo import TOT_TITLE_EN
from trainings.models import Session

from .models import Feedback
from .services import feedback_paper_record

# (relevance, trainer, materials, would recommend, what to improve)
JUNE_2022_TOT_FORMS = [
    (5, 5, 4, True, "ຢາກໃຫ້ມີເວລາຝຶກປະຕິບັດຫຼາຍກວ່ານີ້"),
    (5, 5, 5, True, ""),
    (5, 4, 4, True, "ເອກະສານຄວນພິມເປັນພາສາລາວທັງໝົດ"),
    (4, 5, 4, True, ""),
    (5, 5, 3, True, "ຄວນມີຕົວຢ່າງຕົວຈິງຈາກບ້ານ ແລະ ເມືອງຫຼາຍຂຶ້ນ"),
    (5, 4, 4, None, ""),
    (5, 5, 5, True, ""),
    (4, 4, 3, True, "ຢາກໃຫ້ແຈກສະໄລ ແລະ ເອກະສານກ່ອນມື້ຝຶກອົບຮົມ"),
    (5, 5, 4, True, ""),
    (5, 4, 5, True, ""),
    (3, 3, 2, False, "ເນື້ອໃນຫຼາຍເກີນໄປສຳລັບສາມມື້"),
    (5, 5, 4, True, ""),
    (4, 5, 4, True, ""),
    (5, 4, 3, None, ""),
    (5, 5, 5, True, ""),
    (4, 4, 4, True, ""),
    (5, 5, 4, True, ""),
    (5, 3, 3, True, "ຫ້ອງຝຶກອົບຮົມຮ້ອນຫຼາຍ"),
    (4, 4, 5, True, ""),
    (5, 5, 4, True, ""),
]
# The forms were filled in on the last afternoon.
FILLED_AT = datetime.datetime(2022, 6, 16, 16, 30)


def feedback_demo_seed() -> None:
    session = (
        Session.objects.filter(course__title_en=TOT_TITLE_EN).order_by("pk").first()
    )
    if session is None or Feedback.objects.filter(session=session).exists():
        return
    trainer = get_user_model().objects.filter(username="trainer").first()
    saved = feedback_paper_record(
        session=session,
        forms=[
            {
                "relevance": relevance,
                "trainer": trainer_rating,
                "materials": materials,
                "recommend": recommend,
                "improve": improve,
            }
            for relevance, trainer_rating, materials, recommend, improve in (
                JUNE_2022_TOT_FORMS
            )
        ],
        by=trainer,
    )
    Feedback.objects.filter(pk__in=[feedback.pk for feedback in saved]).update(
        created_at=timezone.make_aware(FILLED_AT)
    )
