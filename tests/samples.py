"""Small inputs several test modules start from."""

# The smallest useful kế hoạch: each test changes one line of it.
VALID = """\
profile: ubnd-tinh-thai-nguyen
kind: ke_hoach
number: 5
date: 2022-09-30
title: Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022
campaign:
  name: Tuần lễ hưởng ứng học tập suốt đời
  year: 2022
  start: 2022-10-01
  end: 2022-10-07
body:
  - heading: Mục đích, yêu cầu
    content:
      - Nâng cao nhận thức của người dân.
closing: Các cơ quan, đơn vị triển khai thực hiện.
signer: pho_chu_tich_tt
archive: KGVX
"""
