# replaces: answer_q7
# loses: multiple_choice=1
# why: zero padding treats the ends of the ring differently, and the dense head fixes L
answer_q7 = "c"
