# replaces: answer_q1
# loses: multiple_choice=1
# why: confuses the piecewise-linear ReLU with a linear activation
answer_q1 = "a"
