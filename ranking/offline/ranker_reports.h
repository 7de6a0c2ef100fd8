// The plain-text reports of the relevance engineer's tool (tools/ranker): what a training run
// found, and one logged ranking explained item by item.
//
// Functions are pure and thread-safe.
#pragma once

#include <string>

#include "ranking/offline/trainer.h"
#include "ranking/offline/training_data.h"
#include "ranking/scoring/model.h"

namespace tailor::ranking {

// Per source its train and validation queries, then the validation NDCG@10 (debiased and
// plain) of the logged order and of the model, the best epoch, each seed's figure and
// "wrote <out>".
std::string FormatTrainReport(const TrainReport& report, const std::string& out);

// The ranking's request, visitor, variant, query and whether it was personalized, then per
// shown item its position, gain, served score and non-zero features; with a model also the
// model's score and its six largest contributions.
std::string FormatExplainedRanking(const JoinedRanking& ranking, const Model* model);

}  // namespace tailor::ranking
