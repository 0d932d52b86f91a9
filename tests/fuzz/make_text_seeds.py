# Writes the hand-made seeds of corpus/identifiers and corpus/csv (UTF-8,
# UTF-8 with a BOM, GBK, broken files). Run from tests/fuzz/corpus:
#   (cd tests/fuzz/corpus && python3 ../make_text_seeds.py)
import os
ids = {
 'valid-male': '350526201705100012', 'valid-female': '350526201403020121',
 'bad-check': '350526201705100013',
 'feb30': '350526201702300011', 'short': '35052620170510', 'fullwidth': '３５０５２６２０１７０５１０００１２',
 'g-number': 'G350526201705100012', 'g-with-id': 'G350526201705100012\n350526201705100012',
 'g-mismatch': 'G350526201705100012\n350526201403020121', 'j-number': 'J35052620180711ABCD',
 'l-number': 'L3505262018071100001', 'county': '350526', 'city': '350500',
 'township': '350526100\n350526', 'township-bad': '350526400\n350526', 'village': '350526100001\n350526100',
 'mobile': '13800138000', 'landline': '0595-23512345', 'landline-ext': '23512345-801', 'phone-plus86': '+8613800138000',
 'year-1899': '350526189912310011', 'empty': '',
}
def chk(s):
  w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; return '10X98765432'[sum(int(a)*b for a,b in zip(s,w))%11]
for seq in range(1000):
  s='35052620170510%03d'%seq
  if chk(s)=='X': ids['valid-X']=s+'X'; ids['lower-x']=s+'x'; break
os.makedirs('identifiers',exist_ok=True)
for k,v in ids.items(): open('identifiers/'+k,'wb').write(v.encode())
open('identifiers/gbk-name','wb').write('林小明'.encode('gbk'))
def w(name, text, enc='utf-8', bom=False, crlf=True):
  if crlf: text=text.replace('\n','\r\n')
  b=text.encode(enc)
  if bom: b=b'\xef\xbb\xbf'+b
  open('csv/'+name,'wb').write(b)
os.makedirs('csv',exist_ok=True)
students = '''学籍号,身份证号,姓名,性别,出生日期,户籍乡镇,户籍村,监护人,重点群体,年级,班级,入学日期
G350526201705100012,350526201705100012,林小明,男,2017-05-10,350526100,350526100001,林大山:父亲:13800138000,留守儿童,3,三(1)班,2026-09-01
G350526201807110238,350526201807110238,郑小华,,,350526100,350526100001,"郑大华:父亲:0595-23512345；王秀:母亲:13900139000",脱贫户、left_behind,二年级,"二(3)班",2026-09-01
L3505262018071100001,,无证儿童,女,2018/07/11,350526100,350526100001,,,初一,1班,2026-09-01
,,,,,,,,,,,
G35052620170510001x,bad,"未闭合,3
'''
w('students-utf8-bom', students, bom=True)
w('students-utf8', students, crlf=False)
w('students-gbk', students.replace('；',';'), enc='gbk')
students_en = '''student_number,id_number,name,sex,birth_date,household_township,household_village,guardians,priority_groups,grade,class_name,enrol_date
G350526201705100012,350526201705100012,Lin,male,2017-05-10,350526100,350526100001,,,3,3-1,2026-09-01
'''
w('students-english', students_en)
absences = '''学籍号,姓名,类别,原因,半天
G350526201705100012,林小明,旷课,,
G350526201807110238,郑小华,病假,发烧,是
L3505262018071100001,无证儿童,去向不明,"家长称""外出""",否
G000,x,迟到,,maybe
'''
w('absences-gbk', absences, enc='gbk')
w('absences-utf8-bom', absences, bom=True)
roster = '''身份证号,姓名,监护人,联系电话
350526201705100012,林小明,林大山,13800138000
350526201403020121,陈小芳,陈大海,0595-23512345
350526201403020122,错号,,123
'''
w('roster-gbk', roster, enc='gbk')
w('roster-utf8', roster)
cal = '''类型,名称,开始日期,结束日期
学期,秋季学期,2026-09-01,2027-01-22
学期,春季学期,2027-02-22,2027-06-30
假期,国庆,2026-10-01,2026-10-07
调休,,2026-09-20,
假期,坏日期,2026-02-30,
'''
w('calendar-gbk', cal, enc='gbk')
w('calendar-utf8', cal)
open('csv/utf16-bom','wb').write('\ufeff学籍号'.encode('utf-16-le'))
open('csv/stray-quote','wb').write(b'a,b"c,d\r\n"x"y,z\r\n')
open('csv/lone-cr','wb').write(b'a,b\rc,d\r"e\r\nf",g')
open('csv/formula','wb').write(b'=1+1,-3,@SUM(A1),+x,\t\r\n')
open('csv/gbk-truncated','wb').write('学籍号,姓名'.encode('gbk')[:-1])
open('csv/empty','wb').write(b'')
open('csv/absence-arg','wb').write('G350526201705100012：旷课：：半天'.encode())
open('csv/term-arg','wb').write('秋季学期:2026-09-01:2027-01-22'.encode())
