"""The rules of the domain, as plain Python: no web, no ORM.

Glossary (each Chinese term appears here once, next to the English name the code uses):

| English (code)              | 中文                         |
| --------------------------- | ---------------------------- |
| officer                     | 执法人员                     |
| justice bureau              | 司法局                       |
| agency                      | 执法单位 / 行政执法部门      |
| township team               | 乡镇（街道）综合执法队       |
| certificate                 | 行政执法证                   |
| apply / pending             | 申领                         |
| active                      | 有效                         |
| suspend / suspended         | 暂扣                         |
| reinstate                   | 恢复（发还）                 |
| revoke / revoked            | 吊销（撤销）                 |
| cancel / cancelled          | 注销                         |
| expired                     | 过期                         |
| void (replaced)             | 作废                         |
| reissue                     | 补（换）发                   |
| renew                       | 换证                         |
| enforcement area / category | 执法区域 / 执法类别          |
| issuing authority           | 发证机关                     |
| annual review               | 年审                         |
| training hours              | 学时                         |
| public law (category)       | 公共法律知识                 |
| professional (category)     | 业务知识和行政执法技能       |
| political (category)        | 政治理论                     |
| external training claim     | 外部学习申报                 |
| check-in / check-out        | 签到 / 签退                  |
| general-law exam            | 综合法律知识考试             |
| specialised-law exam        | 专业法律知识考试             |
| annual assessment           | 年度考核                     |
| incompetent (assessment)    | 不称职                       |
| sanction                    | 处分                         |
| demerit (sanction)          | 记过                         |
| civil servant               | 公务员                       |
| managed as civil servant    | 参照公务员法管理（参公）     |
| public institution staff    | 事业编制                     |
| contract / dispatched       | 合同工 / 劳务派遣            |
| temporary / support staff   | 临时工 / 工勤（辅助）人员    |
| resident ID number          | 居民身份证号码               |
| presentation QR             | 亮证                         |
"""
