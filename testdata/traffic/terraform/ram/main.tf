terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
    ram = var.endpoint
    sts = var.endpoint
  }
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
}


resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

# A role ECS may assume, with a custom policy attached.
resource "alicloud_ram_role" "ecs" {
  role_name   = "tf-ecs-role"
  description = "role for tf instances"
  assume_role_policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = ["ecs.aliyuncs.com"] }
    }]
  })
}

resource "alicloud_ram_policy" "read" {
  policy_name = "tf-ecs-read"
  description = "read ECS"
  policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Action   = ["ecs:Describe*"]
      Effect   = "Allow"
      Resource = ["*"]
    }]
  })
}

resource "alicloud_ram_role_policy_attachment" "read" {
  role_name   = alicloud_ram_role.ecs.role_name
  policy_name = alicloud_ram_policy.read.policy_name
  policy_type = "Custom"
}

# The role given at creation (RunInstances RamRoleName) ...
resource "alicloud_instance" "with_role" {
  instance_name        = "tf-with-role"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
  role_name            = alicloud_ram_role.ecs.role_name
}

# ... and attached afterwards (AttachInstanceRamRole).
resource "alicloud_instance" "attached" {
  instance_name        = "tf-attached"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

resource "alicloud_ram_role_attachment" "attached" {
  role_name    = alicloud_ram_role.ecs.role_name
  instance_ids = [alicloud_instance.attached.id]
}
