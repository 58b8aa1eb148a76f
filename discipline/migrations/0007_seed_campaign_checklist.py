"""The checklist of 003 §三 (重点排查): the six inspection areas and the questions the document asks in
each, in simplified characters ("進步備案" read as 进行备案, an OCR slip). Editable afterwards in
the admin; this migration only seeds it."""

from django.db import migrations

CHECKLIST = [
    ("现场检查和调查取证", [
        "执法主体是否合法",
        "执法人员是否主动出示证件、告知执法内容",
        "是否依法制作现场检查和处理文书，注明违法行为及认定依据",
        "对证据的采集、固定、保存标准，证据形式和取得方式是否符合法律法规要求",
    ]),
    ("听证", [
        "是否依法向社会公开听证事项和申请时限，保障当事人、利害关系人申请听证的权利",
        "听证代表意见的采纳情况，是否以适当形式反馈",
        "听证结束后，是否形成听证报告",
    ]),
    ("自由裁量权", [
        "是否对自由裁量权的行使进行专门审查",
        "当事人对自由裁量结果有疑义的，是否予以解释和说明",
        "是否建立完善行政裁量基准制度，确保大致相同的违法行为适用法律一致",
    ]),
    ("行政处罚过程", [
        "对重大行政处罚案件，在提请本部门负责人集体讨论前，是否经法制工作机构合法性审核",
        "重大行政处罚是否按照有关规定进行备案",
        "处罚执行完毕后，是否在规定时间内办理结案并建立案卷台账",
    ]),
    ("行政强制", [
        "是否认真听取当事人陈述申辩、制作现场笔录、履行审批手续并制作决定书",
        "采取行政强制措施后，是否及时查清事实，在法定期限内作出没收、销毁非法物品或者解除强制措施的决定",
    ]),
    ("日常执法监察行为", [
        "是否存在工作方法简单、态度粗暴等不文明现象",
        "是否存在以权谋私、渎职侵权等违法违纪问题",
    ]),
]  # fmt: skip


def seed(apps, schema_editor):
    Area = apps.get_model("discipline", "CampaignArea")
    Question = apps.get_model("discipline", "CampaignQuestion")
    for number, (title, questions) in enumerate(CHECKLIST, start=1):
        area, _ = Area.objects.get_or_create(number=number, defaults={"title": title})
        for q_number, text in enumerate(questions, start=1):
            Question.objects.get_or_create(area=area, number=q_number, defaults={"text": text})


def unseed(apps, schema_editor):
    Area = apps.get_model("discipline", "CampaignArea")
    Question = apps.get_model("discipline", "CampaignQuestion")
    Question.objects.filter(answers__isnull=True).delete()
    Area.objects.filter(questions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("discipline", "0006_campaigns")]
    operations = [migrations.RunPython(seed, unseed)]
