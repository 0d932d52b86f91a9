#include "clients/cli_registry.h"

#include <cstdlib>
#include <iostream>
#include <utility>

namespace baoxue::clients {
namespace {

// Registration mistakes are programming errors, found by the first run.
void Die(absl::string_view what, absl::string_view path) {
  std::cerr << "baoxue: internal error: " << what << ": \"" << path << "\"\n";
  std::abort();
}

}  // namespace

std::string ParentPath(absl::string_view path) {
  size_t space = path.rfind(' ');
  return space == absl::string_view::npos ? ""
                                          : std::string(path.substr(0, space));
}

void CommandRegistry::AddGroup(GroupSpec group) {
  if (group.path.empty() || FindGroup(group.path) != nullptr ||
      FindCommand(group.path) != nullptr) {
    Die("duplicate or empty group", group.path);
  }
  if (FindGroup(ParentPath(group.path)) == nullptr) {
    Die("group registered before its parent", group.path);
  }
  groups_.push_back(std::move(group));
}

void CommandRegistry::SetRoot(Text summary,
                              std::vector<std::string> examples) {
  groups_[0].summary = std::move(summary);
  groups_[0].examples = std::move(examples);
}

void CommandRegistry::AddCommand(CommandSpec command) {
  if (FindGroup(command.path) != nullptr ||
      FindCommand(command.path) != nullptr) {
    Die("duplicate command", command.path);
  }
  if (FindGroup(ParentPath(command.path)) == nullptr) {
    Die("command registered before its group", command.path);
  }
  if (!command.run) Die("command without a handler", command.path);
  commands_.push_back(std::move(command));
}

const CommandSpec* CommandRegistry::FindCommand(absl::string_view path) const {
  for (const CommandSpec& command : commands_) {
    if (command.path == path) return &command;
  }
  return nullptr;
}

const GroupSpec* CommandRegistry::FindGroup(absl::string_view path) const {
  for (const GroupSpec& group : groups_) {
    if (group.path == path) return &group;
  }
  return nullptr;
}

std::vector<const GroupSpec*> CommandRegistry::SubGroups(
    absl::string_view path) const {
  std::vector<const GroupSpec*> result;
  for (const GroupSpec& group : groups_) {
    if (!group.path.empty() && ParentPath(group.path) == path) {
      result.push_back(&group);
    }
  }
  return result;
}

std::vector<const CommandSpec*> CommandRegistry::Commands(
    absl::string_view path) const {
  std::vector<const CommandSpec*> result;
  for (const CommandSpec& command : commands_) {
    if (ParentPath(command.path) == path) result.push_back(&command);
  }
  return result;
}

}  // namespace baoxue::clients
