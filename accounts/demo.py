"""Demo departments and users: Qingdao's real district governments and municipal departments."""

from django.db import transaction

from .models import Department, User
from .roles import Role
from .services import user_create, user_set_roles

DEMO_PASSWORD = "Qingdao-demo-2026"  # noqa: S105 - printed by `make run` on purpose

K = Department.Kind
DEPARTMENTS = [
    # (code, name, short name, kind)
    ("bgt", "青岛市人民政府办公厅", "市政府办公厅", K.GENERAL_OFFICE),
    ("shinan", "市南区人民政府", "市南区", K.DISTRICT),
    ("shibei", "市北区人民政府", "市北区", K.DISTRICT),
    ("licang", "李沧区人民政府", "李沧区", K.DISTRICT),
    ("laoshan", "崂山区人民政府", "崂山区", K.DISTRICT),
    ("chengyang", "城阳区人民政府", "城阳区", K.DISTRICT),
    ("jimo", "即墨区人民政府", "即墨区", K.DISTRICT),
    ("huangdao", "黄岛区人民政府", "黄岛区", K.DISTRICT),
    ("jiaozhou", "胶州市人民政府", "胶州市", K.DISTRICT),
    ("pingdu", "平度市人民政府", "平度市", K.DISTRICT),
    ("laixi", "莱西市人民政府", "莱西市", K.DISTRICT),
    ("xihaian", "青岛西海岸新区管理委员会", "西海岸新区管委", K.FUNCTIONAL_AREA),
    ("gaoxinqu", "青岛高新技术产业开发区管理委员会", "高新区管委", K.FUNCTIONAL_AREA),
    ("fgw", "青岛市发展和改革委员会", "市发展改革委", K.MUNICIPAL_DEPARTMENT),
    ("jyj", "青岛市教育局", "市教育局", K.MUNICIPAL_DEPARTMENT),
    ("kjj", "青岛市科学技术局", "市科技局", K.MUNICIPAL_DEPARTMENT),
    ("gxj", "青岛市工业和信息化局", "市工业和信息化局", K.MUNICIPAL_DEPARTMENT),
    ("gaj", "青岛市公安局", "市公安局", K.MUNICIPAL_DEPARTMENT),
    ("mzj", "青岛市民政局", "市民政局", K.MUNICIPAL_DEPARTMENT),
    ("sfj", "青岛市司法局", "市司法局", K.MUNICIPAL_DEPARTMENT),
    ("czj", "青岛市财政局", "市财政局", K.MUNICIPAL_DEPARTMENT),
    ("rsj", "青岛市人力资源和社会保障局", "市人力资源社会保障局", K.MUNICIPAL_DEPARTMENT),
    ("zrzyj", "青岛市自然资源和规划局", "市自然资源和规划局", K.MUNICIPAL_DEPARTMENT),
    ("sthjj", "青岛市生态环境局", "市生态环境局", K.MUNICIPAL_DEPARTMENT),
    ("zjj", "青岛市住房和城乡建设局", "市住房城乡建设局", K.MUNICIPAL_DEPARTMENT),
    ("cgj", "青岛市城市管理局", "市城市管理局", K.MUNICIPAL_DEPARTMENT),
    ("jtj", "青岛市交通运输局", "市交通运输局", K.MUNICIPAL_DEPARTMENT),
    ("swglj", "青岛市水务管理局", "市水务管理局", K.MUNICIPAL_DEPARTMENT),
    ("nyncj", "青岛市农业农村局", "市农业农村局", K.MUNICIPAL_DEPARTMENT),
    ("hyfzj", "青岛市海洋发展局", "市海洋发展局", K.MUNICIPAL_DEPARTMENT),
    ("swj", "青岛市商务局", "市商务局", K.MUNICIPAL_DEPARTMENT),
    ("whlyj", "青岛市文化和旅游局", "市文化和旅游局", K.MUNICIPAL_DEPARTMENT),
    ("wjw", "青岛市卫生健康委员会", "市卫生健康委", K.MUNICIPAL_DEPARTMENT),
    ("tyjrj", "青岛市退役军人事务局", "市退役军人局", K.MUNICIPAL_DEPARTMENT),
    ("yjj", "青岛市应急管理局", "市应急局", K.MUNICIPAL_DEPARTMENT),
    ("sjj", "青岛市审计局", "市审计局", K.MUNICIPAL_DEPARTMENT),
    ("gzw", "青岛市人民政府国有资产监督管理委员会", "市国资委", K.MUNICIPAL_DEPARTMENT),
    ("scjgj", "青岛市市场监督管理局", "市市场监管局", K.MUNICIPAL_DEPARTMENT),
    ("tyj", "青岛市体育局", "市体育局", K.MUNICIPAL_DEPARTMENT),
    ("tjj", "青岛市统计局", "市统计局", K.MUNICIPAL_DEPARTMENT),
    ("ybj", "青岛市医疗保障局", "市医保局", K.MUNICIPAL_DEPARTMENT),
    ("xzspj", "青岛市行政审批服务局", "市行政审批局", K.MUNICIPAL_DEPARTMENT),
    ("dsjj", "青岛市大数据发展管理局", "市大数据局", K.MUNICIPAL_DEPARTMENT),
    ("gjjzx", "青岛市住房公积金管理中心", "市住房公积金中心", K.AFFILIATED_UNIT),
    ("jgswj", "青岛市机关事务服务中心", "市机关事务服务中心", K.AFFILIATED_UNIT),
    ("gzjjzx", "青岛市公共资源交易中心", "市公共资源交易中心", K.AFFILIATED_UNIT),
]

USERS = [
    # (username, full name, department code or None, roles, superuser)
    # The break-glass superuser, and the three administrators, each held alone (三员分立).
    ("admin", "应急超级用户", None, [], True),
    ("sys_liming", "李明", None, [Role.SYSTEM_ADMINISTRATOR], False),
    ("sec_sunli", "孙丽", None, [Role.SECURITY_ADMINISTRATOR], False),
    ("audit_zhouping", "周平", None, [Role.AUDIT_ADMINISTRATOR], False),
    ("bgt_wangli", "王丽", "bgt", [Role.GENERAL_OFFICE_REVIEWER], False),
    ("bgt_zhaogang", "赵刚", "bgt", [Role.GENERAL_OFFICE_REVIEWER], False),
    ("sfj_zhangwei", "张伟", "sfj", [Role.DEPARTMENT_STAFF], False),
    ("sfj_liqiang", "李强", "sfj", [Role.DEPARTMENT_LEADER], False),
    ("mzj_liuyang", "刘洋", "mzj", [Role.DEPARTMENT_STAFF], False),
    ("mzj_chenjing", "陈静", "mzj", [Role.DEPARTMENT_LEADER], False),
    ("czj_sunmin", "孙敏", "czj", [Role.DEPARTMENT_STAFF], False),
    ("fgw_zhoujie", "周杰", "fgw", [Role.DEPARTMENT_STAFF], False),
    ("zjj_wulei", "吴磊", "zjj", [Role.DEPARTMENT_STAFF], False),
    ("shinan_zhengxia", "郑霞", "shinan", [Role.DEPARTMENT_STAFF], False),
    ("shinan_huangbo", "黄波", "shinan", [Role.DEPARTMENT_LEADER], False),
    # The lead departments of the demo suggestions and proposals (建议提案办理).
    ("zjj_fanghong", "方红", "zjj", [Role.DEPARTMENT_LEADER], False),
    ("jyj_gaoyan", "高岩", "jyj", [Role.DEPARTMENT_STAFF], False),
    ("jyj_mabin", "马斌", "jyj", [Role.DEPARTMENT_LEADER], False),
    ("jtj_hanxue", "韩雪", "jtj", [Role.DEPARTMENT_STAFF], False),
    ("jtj_luozhi", "罗志", "jtj", [Role.DEPARTMENT_LEADER], False),
    ("cgj_xuli", "徐丽", "cgj", [Role.DEPARTMENT_STAFF], False),
    ("cgj_tangjun", "唐军", "cgj", [Role.DEPARTMENT_LEADER], False),
    ("hyfzj_songtao", "宋涛", "hyfzj", [Role.DEPARTMENT_STAFF], False),
    ("hyfzj_yuqing", "于青", "hyfzj", [Role.DEPARTMENT_LEADER], False),
]


@transaction.atomic
def seed_departments() -> dict[str, Department]:
    departments = {}
    for order, (code, name, short_name, kind) in enumerate(DEPARTMENTS, start=1):
        departments[code], _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "is_active": True,
                "sort_order": order * 10,
            },
        )
    return departments


@transaction.atomic
def seed_users(departments: dict[str, Department]) -> list[User]:
    users = []
    for username, full_name, code, roles, superuser in USERS:
        department = departments.get(code) if code else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                department=department,
                roles=roles,
                email=f"{username}@demo.qingdao.gov.cn",
                is_superuser=superuser,
            )
        else:
            # Bring a changed demo account back to its demo shape, touching nothing that fits.
            if user.department_id != (department.pk if department else None):
                user.department = department
                user.save(update_fields=["department"])
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user_set_roles(user=user, roles=roles)
        users.append(user)
    return users
