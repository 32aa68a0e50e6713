"""The standard checklists a city starts from (canteen, elevator, product sampling).

Item texts are data in the official Chinese wording, with an English line in the guidance. The
figures a city sets ({grams}, {hours}, {days}, {number}) are filled in from its `Rules` when a
version is made, so a finished inspection keeps the figures it was checked against even after
the city changes them."""

from dataclasses import dataclass

from qualitymonth.supervision.models import SubjectKind


@dataclass(frozen=True)
class StandardItem:
    section: str
    text: str
    guidance: str
    en: str
    photo_required: bool = True


@dataclass(frozen=True)
class Standard:
    code: str
    title: str
    subject_kind: str
    items: tuple[StandardItem, ...]


CANTEEN = Standard(
    code="canteen",
    title="学校食堂食品安全检查表",
    subject_kind=SubjectKind.CANTEEN,
    items=(
        StandardItem(
            "许可与公示",
            "食品经营许可证在有效期内，经营项目与许可一致，并在食堂显著位置公示",
            "核对许可证原件的有效期和经营项目；查看公示位置。",
            "Food business licence valid, matching the business, displayed in the canteen.",
        ),
        StandardItem(
            "人员管理",
            "从业人员持有效健康证明上岗，落实每日晨检并记录",
            "抽查在岗人员健康证明有效期；查看当日晨检记录。",
            "Staff hold valid health certificates; daily health check recorded.",
        ),
        StandardItem(
            "人员管理",
            "配备食品安全管理人员，建立并落实食品安全自查制度",
            "查看管理人员任命文件和近一个月的自查记录。",
            "A food safety manager is appointed; self-inspections are recorded.",
            photo_required=False,
        ),
        StandardItem(
            "进货查验",
            "查验并留存供货者许可证和产品合格证明文件，如实记录进货查验信息",
            "抽查三种原料的供货者资质、合格证明和进货查验记录（保存不少于保质期满后六个月，"
            "无明确保质期的不少于二年）。",
            "Supplier licences and product certificates kept; purchase records complete.",
        ),
        StandardItem(
            "贮存",
            "食品与非食品分开存放，离地离墙，生熟分开，无过期变质原料",
            "查看库房和冷藏冷冻设施，抽查原料标签和保质期。",
            "Food stored apart from non-food, off floor and walls, raw and cooked apart.",
        ),
        StandardItem(
            "加工制作",
            "未采购、贮存、使用亚硝酸盐；未制售冷荤类、生食类食品和裱花蛋糕",
            "查看库房、调料区和当日菜谱。",
            "No nitrite kept or used; no cold cuts, raw dishes or decorated cakes made.",
        ),
        StandardItem(
            "食品留样",
            "每餐次每种食品成品留样，每个品种不少于{grams}克，专用冷藏设备保存{hours}小时以上，"
            "记录留样食品名称、留样量、留样时间、留样人员",
            "打开留样柜，核对最近两天各餐次的留样品种、数量、标签与留样记录。",
            "A sample of every dish of every meal, at least {grams} g, kept refrigerated in a "
            "dedicated cabinet for at least {hours} h, with dish, amount, time and person recorded.",
        ),
        StandardItem(
            "餐用具",
            "餐用具使用后及时洗净、消毒，消毒后存放在专用保洁设施内，消毒记录完整",
            "查看洗消设施运行情况、保洁柜和消毒记录。",
            "Tableware washed and disinfected after use, stored in a dedicated cabinet.",
        ),
        StandardItem(
            "明厨亮灶",
            "食品加工制作区域以透明明档或视频等方式向学生、家长公开",
            "查看明厨亮灶设施和视频画面是否覆盖主要加工区域。",
            "Kitchen work visible to pupils and parents (window or video).",
        ),
        StandardItem(
            "陪餐",
            "学校相关负责人与学生共同用餐，做好陪餐记录",
            "查看近一个月的陪餐记录。",
            "A school leader eats with the pupils at every meal; the record is kept.",
            photo_required=False,
        ),
    ),
)

ELEVATOR = Standard(
    code="elevator",
    title="电梯使用单位安全检查表",
    subject_kind=SubjectKind.ELEVATOR,
    items=(
        StandardItem(
            "登记与检验",
            "电梯已办理使用登记，使用标志置于轿厢内显著位置",
            "核对使用标志上的登记编号与注册代码。",
            "The elevator is registered; its use mark is displayed in the car.",
        ),
        StandardItem(
            "登记与检验",
            "定期检验合格且在有效期内，检验合格标志在轿厢内公示",
            "核对检验合格标志的下次检验日期；到期前一个月应已提出定期检验要求。",
            "Periodic inspection passed and valid; the certificate is displayed.",
        ),
        StandardItem(
            "维护保养",
            "由取得许可的单位维护保养，至少每{days}日进行一次清洁、润滑、调整和检查",
            "查阅最近三个月的维保记录，核对相邻两次维保的间隔天数和维保人员签字。",
            "Maintained by a licensed company at least every {days} days (read the records).",
        ),
        StandardItem(
            "应急救援",
            "轿厢内应急救援电话{number}及紧急报警装置能有效接通",
            "在轿厢内实际拨打应急救援电话或按下紧急报警按钮。",
            "The emergency number {number} and the car's alarm work (try them).",
        ),
        StandardItem(
            "安全管理",
            "配备持证电梯安全管理人员，落实日常巡查",
            "核对安全管理人员的特种设备安全管理人员证和巡查记录。",
            "A certified elevator safety manager; daily rounds recorded.",
            photo_required=False,
        ),
        StandardItem(
            "安全管理",
            "建立电梯安全技术档案（设计文件、监督检验和定期检验报告、维保记录、故障与事故记录等）",
            "查看档案是否齐全。",
            "The elevator's technical safety file is complete.",
            photo_required=False,
        ),
        StandardItem(
            "安全管理",
            "在轿厢内或出入口明显位置张贴安全注意事项和警示标志",
            "查看轿厢和层门口。",
            "Safety notices and warnings are posted in the car or at the entrances.",
        ),
        StandardItem(
            "应急救援",
            "制定电梯事故应急专项预案并定期演练",
            "查看应急预案和最近一次演练记录。",
            "An emergency plan exists and is rehearsed.",
            photo_required=False,
        ),
    ),
)

SAMPLING = Standard(
    code="sampling",
    title="产品质量监督抽查抽样检查表",
    subject_kind=SubjectKind.ENTERPRISE,
    items=(
        StandardItem(
            "抽样程序",
            "抽样人员不少于二名，出示执法证件和监督抽查通知书",
            "记录抽样人员证件号和通知书编号。",
            "At least two samplers show their certificates and the spot-check notice.",
            photo_required=False,
        ),
        StandardItem(
            "抽样程序",
            "样品从待销产品中随机抽取，未由被抽样单位自行提供",
            "记录抽样地点和抽取方式。",
            "Samples taken at random from goods for sale, not handed over by the party.",
        ),
        StandardItem(
            "样品",
            "抽样数量符合抽查实施细则，不超过检验的合理需要，并留备份样品",
            "核对抽样数量与实施细则。",
            "Quantity as the detailed rules say, no more than testing needs; backup kept.",
            photo_required=False,
        ),
        StandardItem(
            "样品",
            "样品封样完好，封条由抽样人员和被抽样单位签字或盖章",
            "拍摄封样状态和封条编号。",
            "Samples sealed; the seal signed or stamped by both sides.",
        ),
        StandardItem(
            "费用",
            "未向被抽样单位收取检验费用或其他任何费用",
            "向被抽样单位确认。",
            "No testing fee or any other fee charged to the inspected party.",
            photo_required=False,
        ),
        StandardItem(
            "抽样单",
            "抽样单填写完整（产品名称、规格型号、生产日期或批号、抽样数量、封样情况），"
            "双方签字确认",
            "核对抽样单各栏并拍照留存。",
            "The sampling record is complete and signed by both sides.",
        ),
        StandardItem(
            "告知",
            "告知被抽样单位对检验结果有异议时申请复检的权利和期限",
            "查看抽样单上的告知内容。",
            "The party is told of its right to ask for a re-test and the time limit.",
            photo_required=False,
        ),
    ),
)

STANDARDS: dict[str, Standard] = {s.code: s for s in (CANTEEN, ELEVATOR, SAMPLING)}
# The checklist an inspection of a subject of this kind uses when its check items name none.
DEFAULT_FOR_KIND = {
    SubjectKind.CANTEEN: "canteen",
    SubjectKind.ELEVATOR: "elevator",
    SubjectKind.ENTERPRISE: "sampling",
}


def figures(rules) -> dict:
    """What the item texts may name, from a city's rules."""
    return {
        "grams": rules.canteen_sample_grams,
        "hours": rules.canteen_sample_hours,
        "days": rules.elevator_maintenance_days,
        "number": rules.emergency_number,
    }


def filled(standard: Standard, rules) -> list[dict]:
    """The standard's items with the city's figures written in."""
    values = figures(rules)
    return [
        {
            "section": item.section,
            "text": item.text.format(**values),
            "guidance": f"{item.guidance}\n{item.en.format(**values)}",
            "photo_required": item.photo_required,
        }
        for item in standard.items
    ]
